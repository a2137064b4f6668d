"""Recruitment screens, by subject: calls (and meetings), applications (and review), lists.
Thin function views over the services and the rules."""
