# xianjiao - build, test and demo.
#
#   make            build build/libxianjiao.a and build/xianjiao
#   make test       set up the machine, build, run every test, then the same
#                   tests again on an AddressSanitizer+UBSan build
#   make demo       set up, build, create var/demo.db, serve 127.0.0.1:8080
#   make web        build the web UI (web/, Vue + Vite) into web/dist
#   make check-format   clang-format check, as CI runs it

VERSION := 0.1.0
BUILD ?= build
SAN ?=

PKGS := sqlite3 libmicrohttpd jansson libsodium xlsxwriter libzip expat yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libzip: tests open the XLSX files the table writer makes.
TEST_PKGS := cmocka libzip
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CC ?= cc
WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wvla -Wshadow \
	-Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
XJ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(WARN) \
	-Iinclude -include xianjiao/banned.h -DXJ_VERSION='"$(VERSION)"' \
	$(PKG_CFLAGS) $(SAN) -MMD -MP
# libcsv ships no pkg-config file.
LDLIBS := $(PKG_LIBS) -lcsv -lpthread -lm

LIB_SRC := $(sort $(wildcard src/util/*.c src/core/*.c src/store/*.c \
	src/table/*.c src/plan/*.c src/engine/*.c src/entry/*.c src/import/*.c src/report/*.c \
	src/demo/*.c src/workflow/*.c src/opinion/*.c src/http/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)

TEST_LIB_SRC := $(wildcard tests/lib/*.c)
TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/*/test_*.c tests/cli/test_*.c \
	tests/http/test_*.c))
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)

C_FILES := $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.SECONDARY:

.PHONY: fuzz all test test-build test-asan build-tests demo demo-reset setup \
	check-format format clean web test-web screenshots bench

all: $(BUILD)/xianjiao

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS) $(XJ_CFLAGS) $(if $(findstring tests/,$<),$(TEST_CFLAGS)) -c $< -o $@

$(BUILD)/libxianjiao.a: $(LIB_OBJ)
	@rm -f $@
	@$(if $(V),,echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/xianjiao: $(CLI_OBJ) $(BUILD)/libxianjiao.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libxianjiao.a $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_LIB_OBJ) $(BUILD)/libxianjiao.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $< $(TEST_LIB_OBJ) $(BUILD)/libxianjiao.a \
		$(TEST_LIBS) $(LDLIBS)

build-tests: $(BUILD)/xianjiao $(TEST_BIN)

# The web UI: npm ci only when node_modules is missing or the lock file
# changed (npm ci writes node_modules/.package-lock.json), then vite build.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html \
	web/vite.config.ts web/tsconfig.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npm run --silent build

web: web/dist/index.html

# Browser tests (web/tests/*.test.mjs): chromium against a real
# `xianjiao serve --web web/dist`; screenshots go to build/web-test.
test-web: web $(BUILD)/xianjiao
	XJ_BIN=$(BUILD)/xianjiao XJ_ARTIFACTS=$(BUILD)/web-test \
		node --test --test-reporter=spec web/tests/browser.test.mjs

# The same tests, also refreshing the screenshots kept in docs/screenshots.
screenshots: web $(BUILD)/xianjiao
	XJ_BIN=$(BUILD)/xianjiao XJ_ARTIFACTS=$(BUILD)/web-test XJ_SCREENSHOTS_DOCS=1 \
		node --test --test-reporter=spec web/tests/browser.test.mjs

setup:
	@scripts/setup

# The full suite: a normal build and a sanitizer build run the same tests.
test: setup
	$(MAKE) check-format
	$(MAKE) BUILD=build build-tests
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' \
		build-tests
	$(MAKE) fuzz
	$(MAKE) web
	tests/run build build-asan
	$(MAKE) BUILD=build test-web

# Fuzz harnesses (tests/fuzz/fuzz_*.c), libFuzzer with ASan+UBSan, each
# run FUZZ_SECONDS on its corpus (tests/fuzz/corpus/NAME, copied so the
# tree is not changed). `make test` runs them briefly.
FUZZ_SECONDS ?= 10
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS='-O1 -g' \
		SAN='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' build-fuzz/libxianjiao.a
	@mkdir -p build-fuzz/bin
	@set -e; for n in $(FUZZ_NAMES); do \
		clang -O1 -g -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude \
			-include xianjiao/banned.h $(PKG_CFLAGS) \
			-fsanitize=fuzzer $(FUZZ_SAN) tests/fuzz/fuzz_$$n.c \
			build-fuzz/libxianjiao.a $(LDLIBS) -o build-fuzz/bin/fuzz_$$n; \
		rm -rf build-fuzz/corpus/$$n; mkdir -p build-fuzz/corpus/$$n; \
		echo "  FUZZ    $$n ($(FUZZ_SECONDS) s)"; \
		build-fuzz/bin/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 build-fuzz/corpus/$$n \
			tests/fuzz/corpus/$$n 2>build-fuzz/fuzz_$$n.log \
			|| { tail -40 build-fuzz/fuzz_$$n.log; exit 1; }; \
		grep -h 'stat::number_of_executed_units' build-fuzz/fuzz_$$n.log; \
	done

# The engine benchmark (bench/README.md; bench/run.sh runs it). Built by
# `make bench` only: never part of `make test`.
BENCH_SRC := bench/engine_bench.c bench/gen.c bench/answer.c \
	bench/peer_sqlite.c bench/peer_pg.c
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)
$(BENCH_OBJ): XJ_CFLAGS += $(shell pkg-config --cflags libpq 2>/dev/null)

bench: $(BUILD)/bench/engine_bench

$(BUILD)/bench/engine_bench: $(BENCH_OBJ) $(BUILD)/libxianjiao.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $(BENCH_OBJ) $(BUILD)/libxianjiao.a \
		$(LDLIBS) $(shell pkg-config --libs libpq 2>/dev/null)

check-format:
	@command -v clang-format >/dev/null || { echo "clang-format 未安装 (运行 scripts/setup)"; exit 1; }
	@clang-format --dry-run --Werror $(C_FILES) && echo "clang-format: 格式检查通过"

format:
	clang-format -i $(C_FILES)

demo: setup
	$(MAKE) all web
	@test -f var/demo.db || { mkdir -p var && $(BUILD)/xianjiao demo --db var/demo.db; }
	@echo "登录 (log in): 示范账户 admin / dudao / danwei / shuji / dangyuan，密码 xianjiao2005"
	@echo "  curl -c /tmp/xj.cookies -H 'Content-Type: application/json' \\"
	@echo "       -d '{\"login\":\"admin\",\"password\":\"xianjiao2005\"}' http://127.0.0.1:8080/api/v1/session"
	@echo "  curl -b /tmp/xj.cookies http://127.0.0.1:8080/api/v1/orgs"
	@echo "网页界面 (web UI): http://127.0.0.1:8080/ (登录后进入首页)"
	$(BUILD)/xianjiao serve --db var/demo.db --listen 127.0.0.1:8080 \
		--web web/dist

demo-reset: all
	@mkdir -p var
	$(BUILD)/xianjiao demo --db var/demo.db --force

clean:
	rm -rf build build-asan build-fuzz web/dist

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(TEST_LIB_OBJ:.o=.d) \
	$(BENCH_OBJ:.o=.d)
