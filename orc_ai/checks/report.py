"""Print the latest result of every asset check from the Dagster instance (``python -m orc_ai.checks.report``)."""

import sys

import dagster as dg

from orc_ai.definitions import all_checks


def main() -> int:
    keys = [key for checks in all_checks for key in checks.check_keys]
    with dg.DagsterInstance.get() as instance:
        latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    print("\nAsset checks (latest run):")
    failed = 0
    for key in sorted(keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        record = latest.get(key)
        status = record.status.value if record else "NOT RUN"
        failed += status != "SUCCEEDED"
        print(f"  {status:<10} {key.asset_key.to_user_string():<12} {key.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
