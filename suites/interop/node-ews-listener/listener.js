// A push listener made of node-ews's documented notificationService (README, "Example 5"):
// node-ews hands the request to node-soap's server over the NotificationService WSDL, and the
// callback returns the documented answer, SendNotificationResult with SubscriptionStatus OK.
//
// Usage: node listener.js PORT
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const EWS = require('node-ews');

const port = Number(process.argv[2]);

// Install quirk: notificationService first runs node-ews's init(), which wants Exchange's
// services.wsdl, messages.xsd and types.xsd, downloaded from `host` or found in `temp`. A
// listener talks to no Exchange server, and the notification WSDL used here is
// self-contained, so init() gets a scratch directory holding placeholder files (init() only
// checks that they exist and that services.wsdl has a wsdl:definitions element).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'oxconf-node-ews-'));
fs.writeFileSync(path.join(scratch, 'messages.xsd'), '<!-- placeholder -->\n');
fs.writeFileSync(path.join(scratch, 'types.xsd'), '<!-- placeholder -->\n');
fs.writeFileSync(
  path.join(scratch, 'services.wsdl'),
  '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"></wsdl:definitions>\n'
);

const ews = new EWS({ username: 'unused', password: 'unused', host: 'http://127.0.0.1', temp: scratch });

const serviceOptions = {
  port,
  path: '/notification',
  xml: fs.readFileSync(path.join(__dirname, '..', '..', '..', 'vectors', 'wsdl', 'notification-service.wsdl'), 'utf8'),
};

ews
  .notificationService(serviceOptions, function (response) {
    console.error(new Date().toISOString(), '| Received EWS Push Notification', JSON.stringify(response));
    return { SendNotificationResult: { SubscriptionStatus: 'OK' } };
  })
  .then((server) => {
    server.log = (type, data) => console.error(new Date().toISOString(), '|', type, ':', data);
    console.error('listening on', port);
  })
  .catch((err) => {
    console.error('node-ews could not start the listener:', err);
    process.exit(1);
  });
