"""Generated reports with known values, and their renderings in every format.

For tests, benchmarks and the bundled sample only: production code never imports this
package (an import-linter contract). `python -m govstats.testing [DIR]` rewrites the sample.
"""
