"""Code generation: hand-written JSON Schemas (`schema/<version>/`) -> attrs models.

Run `python -m codegen` (or `nox -s codegen`) to regenerate; `python -m codegen --check`
regenerates into a temporary directory and fails when the committed output differs.
"""
