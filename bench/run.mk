# make bench [N=1000000]: measure the figures of issue 7 and write them, each
# beside its target, to docs/performance.md and docs/performance.json
# (bench/run.sh; bench/README.md). A measurement, never a pass/fail test.
# N is the size of the big ledger; RUNS, M, SYNC, SEED and OUT pass through.
.PHONY: bench
bench: all
	@bash bench/run.sh $(or $(N),1000000)
