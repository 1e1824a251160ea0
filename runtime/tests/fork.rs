//! A process that forks after it has signed: each child signs with nonces of its own, never
//! the parent's next ones nor a sibling's (the same source gives `ClientToken`s). Its own
//! binary, without the test harness, so that it forks a process of one thread.

#[cfg(unix)]
fn main() {
    let before = nonce();
    let children = [nonce_in_child(), nonce_in_child()];
    let after = nonce();
    let all = [before.as_str(), &children[0], &children[1], &after];
    let distinct: std::collections::HashSet<&str> = all.iter().copied().collect();
    assert_eq!(distinct.len(), all.len(), "a nonce repeated across fork: {all:?}");
    println!("test a_forked_child_draws_its_own_nonces ... ok");
}

#[cfg(not(unix))]
fn main() {}

/// The `SignatureNonce` of a freshly signed V1 request.
#[cfg(unix)]
fn nonce() -> String {
    use alibabacloud_runtime::{Credentials, Location, Params, signing::v1};
    let mut params = Params::default();
    params.push(Location::Query, "InstanceId", "pcc-1".to_owned());
    let credentials = Credentials::new("id", "secret");
    let signed = v1::sign_request(
        "http://127.0.0.1:1",
        "2022-01-01",
        "RejectVpcPeerConnection",
        &params,
        &credentials,
        std::time::SystemTime::now(),
    );
    let query = signed.url.split_once('?').expect("a query").1;
    let nonce = query.split('&').find_map(|pair| pair.strip_prefix("SignatureNonce="));
    nonce.expect("a SignatureNonce").to_owned()
}

/// [`nonce`] in a child process made by `fork`, read back through a pipe.
#[cfg(unix)]
fn nonce_in_child() -> String {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe` writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    // SAFETY: this binary has one thread, so the child may run any code.
    match unsafe { libc::fork() } {
        -1 => panic!("fork: {}", std::io::Error::last_os_error()),
        0 => {
            let nonce = nonce();
            // SAFETY: writes the bytes of `nonce` to the pipe's write end, then leaves
            // without running the parent's exit handlers twice.
            unsafe {
                let written = libc::write(fds[1], nonce.as_ptr().cast(), nonce.len());
                libc::_exit(if written == nonce.len() as isize { 0 } else { 1 });
            }
        }
        child => {
            // SAFETY: the write end belongs to the child now; the read end is ours to own.
            let mut from_child = unsafe {
                libc::close(fds[1]);
                std::fs::File::from_raw_fd(fds[0])
            };
            let mut nonce = String::new();
            from_child.read_to_string(&mut nonce).expect("read the child's nonce");
            let mut status = 0;
            // SAFETY: waits for our own child; `status` receives its exit status.
            assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child, "waitpid");
            assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the child failed: {status}");
            assert!(!nonce.is_empty(), "the child sent no nonce");
            nonce
        }
    }
}
