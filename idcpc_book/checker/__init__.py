"""The citation checker: proves that every claim is cited, sourced and evidenced."""
