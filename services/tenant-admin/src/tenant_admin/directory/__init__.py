"""The directory of public strings: which tenant's invoice a printed string names."""
