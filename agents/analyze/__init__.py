"""The analyze hop: clean -> classify -> extract composed in one agent (see agent.py).

The stateless stages share one hop because a hop costs a produce/consume round
and buys nothing here; their composition is agents.pipeline.Analyzer.
"""
