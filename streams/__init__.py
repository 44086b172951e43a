"""The Kafka side of Raqib: Faust app and settings, topics, wire records, metrics, CLI, broker."""
