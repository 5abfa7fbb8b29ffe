"""The myDATA provider API surface: gateway (paths, keys, faults), endpoints, rules, XML."""
