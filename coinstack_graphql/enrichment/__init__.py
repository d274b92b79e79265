"""LLM enrichments through the Anthropic API: prompts, review, usage, batches."""
