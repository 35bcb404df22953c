"""Code generation: JSON Schemas (`schema/<version>/`) -> attrs models, and the v4 client.

`schema/v3/` is transcribed by hand from the v3 documentation; `schema/v4/*.json` is derived
from Tempo's OpenAPI document by `codegen.v4_schemas` (with the commented corrections of
`schema/v4/overlay.yaml`). Run `python -m codegen` (or `nox -s codegen`) to regenerate;
`python -m codegen --check` regenerates into a temporary directory and fails when the
committed output differs.
"""
