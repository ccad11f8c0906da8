# bench/deps.sh (issue 4, performance): the dependency diff of a push that
# changes a 5,000-package package-lock.json and a 1,000-package Cargo.lock,
# against `git diff --stat` of the same range, and parse throughput per lock
# format. bench/deps_bench.c is the in-process half (parse, library diff).

$(BUILD)/bench/deps_bench: bench/deps_bench.c $(BUILD)/libclearance.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libclearance.a $(PKG_LIBS)

.PHONY: bench-deps
bench-deps: all $(BUILD)/bench/deps_bench
	@bash bench/deps.sh $(BUILD)
