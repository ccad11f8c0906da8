# clearance - build, test, install.
#
#   make                 library, the `clearance` program and the hook entry points
#   make check           everything under ASan+UBSan (leak checking on): unit tests,
#                        integration tests with real pushes, conformance, fuzz seeds
#   make demo            a bare repository with the hooks, one push accepted, one rejected;
#                        then the bot: a signed pull_request delivery, and what it sent the forge
#   make fuzz            libFuzzer harnesses (clang), each run for FUZZ_SECONDS
#   make install PREFIX=/usr/local DESTDIR=
#
# Dependencies come from pkg-config; `make check` and `make demo` first run
# tools/install-deps.sh, which apt-get installs whatever is missing.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/clearance
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
CLANG   ?= clang
BUILD   ?= build
OPT     ?= -O2 -g
SAN     ?=
FUZZ_SECONDS ?= 20

PKGS     := libgit2 libcurl jansson libpcre2-8 yaml-0.1 sqlite3 libcrypto libxml-2.0 libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN     := -Wall -Wextra -Werror -std=c11
CPPFLAGS += -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -Ilib -I$(BUILD)/gen
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

LIB_SRC   := $(sort $(wildcard lib/*.c))
# The webhook bot (server, queue, workers, forge clients): its own archive,
# linked into the program and the tests but not the fuzzers.
BOT_SRC   := $(sort $(wildcard bot/*.c))
CLI_SRC   := $(sort $(wildcard cli/*.c hooks/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
TEMPLATES := $(sort $(wildcard templates/*))
HOOKS     := pre-receive update post-receive

.DEFAULT_GOAL := all

# Generated sources (data compiled in); mk/*.mk add to it.
GEN_SRC  := $(BUILD)/gen/templates_data.c
-include mk/*.mk
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
BOT_OBJ  := $(BOT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all check check-unit check-cases test deps demo fuzz fuzz-build install uninstall clean bench
.DELETE_ON_ERROR:

all: $(BUILD)/clearance $(HOOKS:%=$(BUILD)/hooks/%)

$(BUILD)/%.o: %.c $(wildcard lib/*.h cli/*.h hooks/*.h bot/*.h) | $(BUILD)/gen/templates_data.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Templates are compiled in so a hook symlinked anywhere still has its texts.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -o $@ $<

$(BUILD)/gen/templates_data.c $(BUILD)/gen/templates_data.h: $(BUILD)/tools/embed $(TEMPLATES)
	@mkdir -p $(BUILD)/gen
	$(BUILD)/tools/embed $(BUILD)/gen/templates_data $(TEMPLATES)

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libclearance.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libclearance-bot.a: $(BOT_OBJ)
	rm -f $@
	ar rcs $@ $^

LINK_LIBS = $(BUILD)/libclearance-bot.a $(BUILD)/libclearance.a $(PKG_LIBS) -lpthread

$(BUILD)/clearance: $(CLI_OBJ) $(BUILD)/libclearance-bot.a $(BUILD)/libclearance.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LINK_LIBS)

# Hook entry points: git runs them by name; the program dispatches on argv[0].
HOOK_LINKS := $(HOOKS:%=$(BUILD)/hooks/%)
$(HOOK_LINKS): $(BUILD)/hooks/%: $(BUILD)/clearance
	@mkdir -p $(dir $@)
	ln -sf ../clearance $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libclearance-bot.a $(BUILD)/libclearance.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibot $(ALL_LDFLAGS) -o $@ $< $(LINK_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/%: tests/tools/%.c $(BUILD)/libclearance-bot.a $(BUILD)/libclearance.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibot $(ALL_LDFLAGS) -o $@ $< $(LINK_LIBS) $(CMOCKA_LIBS)

deps:
	@sh tools/install-deps.sh

# The whole suite, built a second time with sanitizers into build/san.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check: deps
	@sh tools/check-source.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory fuzz-seeds
	@$(MAKE) --no-print-directory BUILD=build/san OPT="-O1 -g" SAN="$(SAN_FLAGS)" test

export ASAN_OPTIONS := detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

test: all $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run-all.sh $(BUILD)

demo: deps
	$(MAKE) all $(BUILD)/tests/forge_standin
	@sh tools/demo.sh $(BUILD)
	@sh tools/demo-bot.sh $(BUILD)

bench: all
	@bash bench/hook-dco.sh $(BUILD)

fuzz-build: $(FUZZ_SRC)
	@$(MAKE) --no-print-directory FUZZ_MODE=1 $(FUZZ_BIN:$(BUILD)/%=build/fuzzer/%)

# The library is compiled once for the fuzzers (instrumented, no fuzzer main);
# each harness then only links against it.
FUZZ_CFLAGS = $(WARN) -Wno-unused-command-line-argument -g -O1 \
	$(PKG_CFLAGS) -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -Ilib -Ibuild/gen
FUZZ_OBJ := $(patsubst %.c,build/fuzzer/obj/%.o,$(LIB_SRC) $(GEN_SRC))

build/fuzzer/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzzer/libclearance-fuzz.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

build/fuzzer/fuzz/%: tests/fuzz/%.c build/fuzzer/libclearance-fuzz.a
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< build/fuzzer/libclearance-fuzz.a $(PKG_LIBS)

fuzz: deps
	$(MAKE) all fuzz-build
	@sh tests/fuzz/run.sh build/fuzzer/fuzz $(FUZZ_SECONDS)

# In `make check`: every harness replays its seed corpus (regressions stay fixed).
fuzz-seeds:
	@if command -v $(CLANG) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz-build && sh tests/fuzz/run.sh build/fuzzer/fuzz 0; \
	else echo "fuzz: skipped (no $(CLANG))"; fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/clearance $(DESTDIR)$(BINDIR)/clearance
	install -m 644 $(TEMPLATES) $(DESTDIR)$(DATADIR)/templates/
	install -m 644 docs/clearance.1 $(DESTDIR)$(MANDIR)/man1/clearance.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/clearance $(DESTDIR)$(MANDIR)/man1/clearance.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build
