"""Coverage-guided fuzzing (atheris, libFuzzer) of what a user types: the question with its reference date,
and FHIR search parameters. The contract is the one of tests/unit/test_fuzz_inputs.py: a result or a
CarnetError naming the problem (a 4xx at the API, exit code 2 at the CLI), never another exception.

    python -m tests.fuzz.fuzz_inputs -runs=100000 -seed=1 -max_len=512 -len_control=10 -artifact_prefix=/tmp/

Where hypothesis draws from the words the parser knows, libFuzzer mutates bytes towards new branches of the
instrumented parser modules. tests/integration/test_atheris.py runs it for a fixed number of inputs in
`make test`; any other exception stops it with the input that raised, written under -artifact_prefix.
"""

from __future__ import annotations

import sys
from datetime import date

import atheris

with atheris.instrument_imports(include=["query", "api.fhir", "carnet"]):
    from api.fhir.search import SEARCH_PARAMETERS, parse_search
    from carnet.errors import CarnetError
    from query.parse import parse_question

from tests.fuzz import UNDECLARED_FHIR_NAMES  # noqa: E402 - the parser modules are imported instrumented first

_NAMES = [p.name for p in SEARCH_PARAMETERS] + UNDECLARED_FHIR_NAMES


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    today = date.fromordinal(fdp.ConsumeIntInRange(1, date.max.toordinal()))
    question = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300))
    try:
        parse_question(question, today)
    except CarnetError:
        pass
    items = [(_NAMES[fdp.ConsumeIntInRange(0, len(_NAMES) - 1)], fdp.ConsumeUnicodeNoSurrogates(30))
             for _ in range(fdp.ConsumeIntInRange(0, 4))]
    try:
        parse_search(items)
    except CarnetError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
