// Command footprint measures dynafault's resource footprint and prints the
// figures; it asserts nothing, so slow machines still get their numbers.
//
//	go run ./cmd/dynafault/footprint [-items 1000000] [-image localhost/dynafault:ci]
//
// It builds the server the way the container image does (CGO_ENABLED=0,
// -trimpath, -s -w) unless -bin names a binary, starts it as a process on
// a loopback port of its choosing and reports:
//
//   - start: wall time from starting the process to the first answered
//     DynamoDB request (ListTables), the median of -starts runs;
//   - idle RSS: VmRSS from /proc/<pid>/status after that first answer;
//   - loaded RSS: VmRSS (and the peak, VmHWM) after -items items of
//     -item-size bytes (DynamoDB's item size) were written to one table by
//     concurrent BatchWriteItem calls over HTTP;
//   - image size: the size the container engine reports for -image.
//
// -heapprofile FILE repeats the load in this process against an in-process
// emulator and writes a heap profile there (go tool pprof -top FILE) to
// show where the loaded memory goes.
package main
