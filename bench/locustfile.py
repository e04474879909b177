"""Locust users of the benchmark; run.py chooses one scenario per run (BENCH_SCENARIO) and
passes the sample NGO ids, region ids and search words in BENCH_SAMPLES (a JSON file)."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "baseline")
with open(os.environ["BENCH_SAMPLES"], encoding="utf-8") as handle:
    SAMPLES = json.load(handle)


class Visitor(HttpUser):
    wait_time = between(0, 0)

    @task
    def visit(self) -> None:
        if SCENARIO == "baseline":
            self.client.get("/healthz", name="baseline /healthz")
        elif SCENARIO == "directory":
            word = random.choice(SAMPLES["words"])
            region = random.choice(SAMPLES["regions"])
            self.client.get(f"/ru/ngos/?q={word}&region={region}", name="directory search")
        elif SCENARIO == "ngo_page":
            pk = random.choice(SAMPLES["ngos"])
            self.client.get(f"/ru/ngos/{pk}/", name="NGO page")
        elif SCENARIO == "statistics":
            self.client.get("/ru/stats/ngos/", name="statistics")
        else:  # pragma: no cover
            raise ValueError(SCENARIO)
