"""Every GraphQL document the Dagster client sends, as named constants; values travel only as variables."""

ASSET_NODES = """
query OrcAssetNodes($assetKeys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $assetKeys) {
    assetKey { path }
    isMaterializable
    repository { name location { name } }
  }
}
"""

LAUNCH_RUN = """
mutation OrcLaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on PythonError { message className stack }
    ... on RunConfigValidationInvalid { errors { message path reason } }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey invalidOutputName }
    ... on Error { message }
  }
}
"""

RUN_STATUS = """
query OrcRunStatus($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      runId
      status
      jobName
      startTime
      endTime
      tags { key value }
      assetSelection { path }
    }
    ... on PythonError { message className stack }
    ... on Error { message }
  }
}
"""

RUN_FAILURES = """
query OrcRunFailures($runId: ID!, $afterCursor: String, $limit: Int) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      eventConnection(afterCursor: $afterCursor, limit: $limit) {
        cursor
        hasMore
        events {
          __typename
          ... on ExecutionStepFailureEvent { stepKey message error { message className } }
          ... on RunFailureEvent { message error { message className } }
          ... on ResourceInitFailureEvent { stepKey message error { message className } }
        }
      }
    }
    ... on PythonError { message }
    ... on Error { message }
  }
}
"""

RUNS_BY_TAG = """
query OrcRunsByTag($filter: RunsFilter, $limit: Int) {
  runsOrError(filter: $filter, limit: $limit) {
    __typename
    ... on Runs { results { runId status } }
    ... on PythonError { message className stack }
    ... on Error { message }
  }
}
"""
