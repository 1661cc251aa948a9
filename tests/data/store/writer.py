"""A review-store writer process for tests/test_store_safety.py.

    python writer.py STORE REVIEWER COUNT [--wait]

Records COUNT decisions (0: until killed) on the calls already in STORE, as REVIEWER,
with a comment every seventh write. After each write has returned (is committed) it
prints the event id on its own line and flushes. With --wait it prints "ready" once
the store is open and waits for a line on stdin before writing.
"""

from __future__ import annotations

import itertools
import sys

from callreview.store import Store


def main() -> int:
    path, reviewer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Store.open(path) as store:
        calls = [(s.call_id, s.n_passages) for s in store.list_calls()]
        if "--wait" in sys.argv:
            print("ready", flush=True)
            sys.stdin.readline()
        steps = itertools.count() if count == 0 else range(count)
        for i in steps:
            call_id, n = calls[i % len(calls)]
            index = (i // len(calls)) % n
            if i % 7 == 6:
                event_id = store.comment(call_id, index, f"note {i} from {reviewer}", reviewer=reviewer)
            else:
                event_id = store.decide(call_id, index, "behavior", "relabel", f"label-{i % 5}",
                                        reviewer=reviewer)
            print(event_id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
