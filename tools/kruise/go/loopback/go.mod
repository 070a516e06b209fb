module sidecarset.local/tools/kruise/loopback

go 1.23.0
