"""Pure, framework-free helpers shared across Ortaq apps."""
