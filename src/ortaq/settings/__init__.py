"""Settings, split base / dev / test / prod; every value comes from the environment."""
