"""What the fuzzers share (the property tests in tests/unit/test_fuzz_inputs.py and atheris here). It imports
nothing of the project: this package is imported before fuzz_inputs instruments the parser modules."""

# FHIR search parameter names beyond the declared ones: modifiers, paging, and names nobody declared.
UNDECLARED_FHIR_NAMES = ["date:exact", "type:text", "_count", "_offset", "_sort", "foo", "patient:missing", "",
                         "setting"]
