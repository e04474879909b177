"""The demo world of `ortaq seed_demo`, kept out of the apps (docs/architecture.md, "Demo and
reference data"): `runner.STEPS` lists in order the modules that build it, one per area
(`accounts`, `registry`, …; `national/` for `--scale national`). It sits above every app and
no app imports it."""
