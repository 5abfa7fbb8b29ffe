"""The myDATA provider API surface: the API front (paths, keys, faults), endpoints, rules, XML."""
