#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# summarize.sh RAW IDLE: median (min-max) per workload, tracer and figure,
# and per-round ratios exitsnoop / libbpf-tools, as Markdown.
RAW=$1 IDLE=$2

# One "key<TAB>value" per figure and round; key = workload|tracer|figure.
figures() {
	awk -F'\t' '
	NR == 1 { next }
	$3 == "none" { base[$1, $2] = $4; next }
	{ row[NR] = $0 }
	END {
		for (i in row) {
			split(row[i], f, "\t")
			r = f[1]; w = f[2]; t = f[3]
			ev = (w == "forkx") ? f[5] : (f[7] > 0 ? f[7] : 1)
			v["cpu_us_per_event"] = f[8] / ev / 1000
			v["bpf_ns_per_run"] = f[10] > 0 ? f[9] / f[10] : 0
			v["slowdown"] = base[r, w] > 0 ? f[4] / base[r, w] : 0
			v["captured_pct"] = (w == "forkx") ? f[6] : 100 * f[6] / f[5]
			v["lost"] = f[14]
			v["peak_rss_mb"] = f[13] / 1024
			v["steady_rss_mb"] = f[12] / 1024
			for (k in v) {
				print w "|" t "|" k "\t" v[k]
				val[r, w, t, k] = v[k]
			}
		}
		for (key in val) {
			split(key, p, SUBSEP)
			if (p[3] !~ /^exitsnoop/ || p[4] == "captured_pct" || p[4] == "lost")
				continue
			other = val[p[1], p[2], "libbpf-tools", p[4]]
			if (other > 0)
				print p[2] "|" (p[3] == "exitsnoop" ? "ratio" : "ratio-why") "|" p[4] "\t" val[key] / other
		}
	}' "$RAW"
}

# median (min-max) per key, from sorted values
stats() {
	sort -t'	' -k1,1 -k2,2g | awk -F'\t' '
	function flush() {
		if (n == 0) return
		med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		printf "%s\t%s\t%s\t%s\n", key, med, a[1], a[n]
	}
	$1 != key { flush(); key = $1; n = 0 }
	{ a[++n] = $2 }
	END { flush() }'
}

fmt() { # value -> compact number
	awk -v v="$1" 'BEGIN {
		if (v == 0) { print "0"; exit }
		a = v < 0 ? -v : v
		if (a >= 100) printf "%.0f", v; else if (a >= 10) printf "%.1f", v;
		else if (a >= 1) printf "%.2f", v; else printf "%.3f", v }'
}

STATS=$(figures | stats)
cell() { # KEY -> "median (min-max)"
	local line
	line=$(printf '%s\n' "$STATS" | awk -F'\t' -v k="$1" '$1 == k')
	[ -z "$line" ] && { echo "-"; return; }
	IFS=$'\t' read -r _ med lo hi <<< "$line"
	echo "$(fmt "$med") ($(fmt "$lo")–$(fmt "$hi"))"
}

FIGS="cpu_us_per_event bpf_ns_per_run slowdown captured_pct lost peak_rss_mb steady_rss_mb"
rounds=$(awk -F'\t' 'NR > 1 { print $1 }' "$RAW" | sort -u | wc -l)
echo "Rounds: $rounds. Each cell: median (min–max) over the rounds."
echo
for w in fork1 fork2 thread1 thread2 spawn forkx; do
	grep -q "	$w	" "$RAW" || continue
	echo "### $w"
	echo
	echo "| tracer | CPU µs/event | BPF ns/run | slowdown | captured % | lost | peak RSS MB | steady RSS MB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	for t in exitsnoop exitsnoop-why libbpf-tools bpftrace ratio ratio-why; do
		case $t in
		ratio) ;;
		ratio-why) grep -q "	exitsnoop-why	" "$RAW" || continue ;;
		*) grep -q "	$t	" "$RAW" || continue ;;
		esac
		row="| $t"
		[ $t = ratio ] && row="| **exitsnoop / libbpf-tools**"
		[ $t = ratio-why ] && row="| **exitsnoop -w / libbpf-tools**"
		for f in $FIGS; do
			if [[ $t == ratio* ]] && { [ $f = captured_pct ] || [ $f = lost ]; }; then
				row="$row | "
			else
				row="$row | $(cell "$w|$t|$f")"
			fi
		done
		echo "$row |"
	done
	echo
	echo "Untraced wall time: $(awk -F'\t' -v w=$w '$2 == w && $3 == "none" { printf "%.2f s ", $4 / 1e9 }' "$RAW"); exits per run: $(awk -F'\t' -v w=$w '$2 == w && $3 == "none" { print $5; exit }' "$RAW")."
	echo
done
IDLE_STATS=$(awk -F'\t' 'NR > 1 {
	print "idle|" $2 "|wakeups_per_s\t" $3 / 10
	print "idle|" $2 "|latency_ms\t" $4 / 1000
	print "idle|" $2 "|ready_ms\t" $5 / 1000
	r[$1, $2] = $5
} END {
	for (k in r) {
		split(k, p, SUBSEP)
		if (p[2] == "exitsnoop" && r[p[1], "libbpf-tools"] > 0)
			print "idle|ratio|ready_ms\t" r[k] / r[p[1], "libbpf-tools"]
	}
}' "$IDLE" | stats)
STATS="$STATS
$IDLE_STATS"
echo "### idle, ready, latency"
echo
echo "Each tracer with a filter that matches nothing (-p of a sleeping process) for 5 s; then that"
echo "process is killed and the time until its line is in the output file is taken. Ready: from"
echo "exec to the header (or bpftrace's BEGIN line) in the output, the peers' output line-buffered."
echo
echo "| tracer | wakeups per second, idle | lone exit printed after (ms) | ready after exec (ms) |"
echo "| --- | --- | --- | --- |"
for t in exitsnoop exitsnoop-why libbpf-tools bpftrace; do
	grep -q "	$t	" "$IDLE" || continue
	echo "| $t | $(cell "idle|$t|wakeups_per_s") | $(cell "idle|$t|latency_ms") | $(cell "idle|$t|ready_ms") |"
done
echo "| **exitsnoop / libbpf-tools** | | | $(cell "idle|ratio|ready_ms") |"
