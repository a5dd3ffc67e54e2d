module github.com/okcare/okcare

go 1.26.8

require (
	github.com/pquerna/otp v1.5.0
	golang.org/x/crypto v0.59.0
)

require (
	github.com/boombuler/barcode v1.0.1-0.20190219062509-6c824513bacc // indirect
	golang.org/x/sys v0.50.0 // indirect
)
