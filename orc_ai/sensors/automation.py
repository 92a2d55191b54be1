"""The automation sensor that evaluates every asset's automation condition, running from the start."""

import dagster as dg

automation_sensor = dg.AutomationConditionSensorDefinition(
    "default_automation_condition_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Materialises downstream assets when their inputs change and every upstream blocking check passed.",
)
