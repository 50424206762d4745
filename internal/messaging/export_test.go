package messaging

// FanOutEnded lets the tests call what Jobs calls when it ends a fan-out
// job without its worker.
var FanOutEnded = (*Service).fanOutEnded
