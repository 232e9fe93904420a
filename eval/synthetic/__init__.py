"""Synthetic DMP-like corpus: French medical PDFs, ground truth and labelled questions (see README.md).

`eval.synthetic.generator.generate_corpus` writes it. The package itself imports nothing: `carnet samples`
(eval/synthetic/cli.py, a command of the eval plugin) is registered at every start of the command line, and
loads the generator only when it runs.
"""
