"""Every write of finance: `agreement` (the agreement and its budget, amendments),
`expenditures`, `claims` (payment claims and their steps)."""
