// Command loopback-up brings the loopback interface of its network namespace up, then runs a command
// in its place (exec). tools/kruise/netns.sh runs it first thing inside `unshare --net`, where `lo`
// exists but is down. It does what `ip link set lo up` does, without needing iproute2 (a fresh Debian
// image has no `ip`), with the standard library only.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"unsafe"
)

// struct ifreq: the interface name, then a union whose first member here is short ifr_flags.
type ifreq struct {
	name  [syscall.IFNAMSIZ]byte
	flags uint16
	_     [22]byte
}

func ioctl(fd int, request uintptr, req *ifreq) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), request, uintptr(unsafe.Pointer(req))); errno != 0 {
		return errno
	}
	return nil
}

func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	defer syscall.Close(fd)
	var req ifreq
	copy(req.name[:], "lo")
	if err := ioctl(fd, syscall.SIOCGIFFLAGS, &req); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS lo: %w", err)
	}
	req.flags |= syscall.IFF_UP | syscall.IFF_RUNNING
	if err := ioctl(fd, syscall.SIOCSIFFLAGS, &req); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS lo: %w", err)
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loopback-up COMMAND [ARG...]")
		os.Exit(2)
	}
	if err := loopbackUp(); err != nil {
		fmt.Fprintf(os.Stderr, "loopback-up: %v\n", err)
		os.Exit(1)
	}
	path, err := exec.LookPath(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "loopback-up: %v\n", err)
		os.Exit(127)
	}
	if err := syscall.Exec(path, os.Args[1:], os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "loopback-up: exec %s: %v\n", path, err)
		os.Exit(126)
	}
}
