"""The agent: plans tool calls for an event from retrieved context, has each authorised, records the decision."""
