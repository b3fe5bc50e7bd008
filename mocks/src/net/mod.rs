//! Real transports on loopback: HTTP(S) client and server, TLS material, a TLS front end.
