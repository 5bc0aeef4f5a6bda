import QMPLint
print("qmp-lint")
