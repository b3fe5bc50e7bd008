//! MS-OMS peers: the reference server, the reference client and the scripted server.
