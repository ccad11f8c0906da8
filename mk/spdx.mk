# The SPDX license list, compiled in (issue 3).
#
# data/spdx/*.tsv are committed, so building needs no network; `make spdx-data`
# regenerates licenses.tsv and exceptions.tsv from the npm packages
# (tools/spdx-update.sh) - review the diff and its warnings, then commit.
# At build time tools/spdx-gen.c turns them into $(BUILD)/gen/spdx_data.c,
# the sorted table lib/spdx.c searches.

SPDX_DATA := data/spdx/licenses.tsv data/spdx/exceptions.tsv data/spdx/replacements.tsv
GEN_SRC += $(BUILD)/gen/spdx_data.c

$(BUILD)/tools/spdx-gen: tools/spdx-gen.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -o $@ $<

$(BUILD)/gen/spdx_data.c: $(BUILD)/tools/spdx-gen $(SPDX_DATA)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/spdx-gen $@ $(SPDX_DATA)

# The generated table is compiled against the structs it fills.
$(BUILD)/gen/spdx_data.o: lib/spdx.h

.PHONY: spdx-data
spdx-data:
	sh tools/spdx-update.sh data/spdx
