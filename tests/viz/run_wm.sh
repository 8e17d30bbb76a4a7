#!/bin/sh
# run_wm.sh EXE: runs the test EXE on a 1920x1080 Xvfb screen managed by openbox (the
# stacking, focus and minimising a lecturer's desktop does). Skips (exit 77) with a
# message when xvfb-run, openbox or xdotool is missing (./dev.sh deps installs them).
for tool in xvfb-run openbox xdotool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "test_window_wm skipped: $tool is not installed (./dev.sh deps installs it)"
        exit 77
    fi
done
exec xvfb-run -a -s "-screen 0 1920x1080x24" sh -c '
    openbox --sm-disable >/dev/null 2>&1 &
    wm=$!
    sleep 1
    "$0"
    rc=$?
    kill $wm 2>/dev/null
    exit $rc' "$1"
