# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What ships beside the binary: alerting rules, the systemd unit, the
# Kubernetes manifest. Each is checked by the tool that will read it.

test_contrib_rules_pass_promtool() {
	command -v promtool > /dev/null || skip "promtool is not installed"
	promtool check rules "$ROOT/contrib/prometheus/exitsnoop-rules.yml" > check 2>&1 ||
		fail "promtool check rules: $(cat check)"
	grep -q 'SUCCESS: [1-9][0-9]* rules found' check || fail "no rules: $(cat check)"
	(cd "$ROOT/contrib/prometheus" && promtool test rules exitsnoop-rules.test.yml) > test 2>&1 ||
		fail "promtool test rules: $(tail -20 test)"
}
