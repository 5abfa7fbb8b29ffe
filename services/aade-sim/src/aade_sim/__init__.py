"""aade-sim: a stand-in for AADE's myDATA provider API (ΥΠΑΗΕΣ) for dev, tests and sandboxes.

It is written from the public specification only (never from our client library) so that it
catches the client's mistakes. Public API: ``aade_sim.main.create_app`` and
``aade_sim.settings.AadeSimSettings``; ``python -m aade_sim`` serves it.
"""
