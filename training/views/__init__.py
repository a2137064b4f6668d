"""Training screens by subject: thin function views over the services, the standings and the
papers (modules, trainees, sessions, attendance, e_learning)."""
