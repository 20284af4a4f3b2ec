"""Pulumi dynamic provider for IBM watsonx Orchestrate phone configs."""
