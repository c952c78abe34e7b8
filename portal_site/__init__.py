"""The site layer: what sits on top of every app — the home page with each person's work, cross-case board
reports, the demo and scale data, the benchmark and the URL wiring. It alone may import every app; the apps
and the kernel never import it (docs/adr/0007-layers.md)."""
