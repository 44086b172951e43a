"""Raqib's stages: pure logic per stage, and one small agent.py per hop wiring it to Kafka."""
