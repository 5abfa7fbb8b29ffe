"""The internal APIs the admin app calls (internal token on each): the notifier's messages
(``contracts.notifications``) and mydata-sync's resend list (``contracts.resend``). A failure to
reach one, or an answer outside the contract, is ``UpstreamUnavailable``."""
