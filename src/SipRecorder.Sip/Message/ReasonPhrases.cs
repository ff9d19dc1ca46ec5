namespace SipRecorder.Sip.Message;

/// <summary>Default reason phrases of RFC 3261 §21 and later RFCs.</summary>
internal static class ReasonPhrases
{
    public static string For(int code) => code switch
    {
        100 => "Trying", 180 => "Ringing", 181 => "Call Is Being Forwarded", 182 => "Queued", 183 => "Session Progress",
        200 => "OK", 202 => "Accepted",
        300 => "Multiple Choices", 301 => "Moved Permanently", 302 => "Moved Temporarily",
        400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found",
        405 => "Method Not Allowed", 407 => "Proxy Authentication Required", 408 => "Request Timeout",
        413 => "Request Entity Too Large", 415 => "Unsupported Media Type", 416 => "Unsupported URI Scheme",
        420 => "Bad Extension", 423 => "Interval Too Brief", 480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist", 482 => "Loop Detected", 483 => "Too Many Hops",
        486 => "Busy Here", 487 => "Request Terminated", 488 => "Not Acceptable Here", 491 => "Request Pending",
        500 => "Server Internal Error", 501 => "Not Implemented", 502 => "Bad Gateway", 503 => "Service Unavailable",
        504 => "Server Time-out", 505 => "Version Not Supported", 513 => "Message Too Large",
        600 => "Busy Everywhere", 603 => "Decline", 604 => "Does Not Exist Anywhere", 606 => "Not Acceptable",
        _ => code switch { < 200 => "Provisional", < 300 => "Success", < 400 => "Redirection", < 500 => "Client Error", < 600 => "Server Error", _ => "Global Failure" },
    };
}
