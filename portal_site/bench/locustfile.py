"""The virtual users of `make bench`, for Locust (run headless by portal_site.bench.run, never by hand).

The plan (sessions and journeys, one per user, written by run.py) comes from BENCH_PLAN. Each Locust user
takes the next user of the plan and follows its journey in a loop, the floor page first in every round;
BENCH_THINK is the mean pause between requests (0.5x to 1.5x of it), 0 for a closed loop. Requests are
named by page, so Locust's statistics are per page."""

import itertools
import json
import os
import random
import threading

from locust import HttpUser, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
THINK = float(os.environ.get("BENCH_THINK", "0"))
_next = itertools.count()
_lock = threading.Lock()


def _think(user) -> float:
    return random.uniform(0.5, 1.5) * THINK if THINK else 0  # noqa: S311 — pauses, not secrets


class PortalUser(HttpUser):
    wait_time = _think

    def on_start(self):
        with _lock:
            self.plan = PLAN["users"][next(_next) % len(PLAN["users"])]
        self.client.cookies.set(PLAN["session_cookie"], self.plan["session_key"])
        self.client.cookies.set(PLAN["csrf_cookie"], PLAN["csrf_secret"])
        self.headers = {"X-Forwarded-Proto": "https", "User-Agent": "scr-bench"}
        self.steps = itertools.cycle(self.plan["steps"])

    @task
    def step(self):
        step = next(self.steps)
        expect = step.get("expect", [200])
        kwargs = {"name": step["name"], "headers": self.headers, "catch_response": True}
        if step["method"] == "POST":
            origin = f"https://{self.host.split('://', 1)[1]}"
            kwargs["headers"] = {**self.headers, "Referer": origin + step["path"], "Origin": origin}
            data = {**step.get("data", {}), "csrfmiddlewaretoken": PLAN["csrf_secret"]}
            response = self.client.post(step["path"], data=data, allow_redirects=False, **kwargs)
        else:
            response = self.client.get(step["path"], allow_redirects=False, **kwargs)
        with response:
            if response.status_code not in expect:
                response.failure(f"{step['method']} {step['path']} -> {response.status_code}")
            else:
                response.success()
