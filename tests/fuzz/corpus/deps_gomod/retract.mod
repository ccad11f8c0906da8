retract [v1.0.0, v1.1.0]
exclude a v1
