"""Connection-loss notices: recorded with a receipt, confirmed by e-mail, matched to their
invoice when it arrives, listed for operators while unmatched (contracts.notices)."""
