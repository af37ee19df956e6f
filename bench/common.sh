# Helpers the bench scripts share; sourced, not run.

# Runs a command, prints "seconds peak_kib" (GNU time); its own output is
# dropped and its errors go to $OUT/stderr.log.
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>>"$OUT/stderr.log"
    cat "$log"
    rm -f "$log"
}

# The median of numbers on standard input, one a line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
