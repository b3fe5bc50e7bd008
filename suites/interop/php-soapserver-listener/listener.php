<?php
// A push listener the way most PHP listeners are written: ext/soap's SoapServer over the
// NotificationService WSDL, and a handler whose SendNotification returns the documented
// result (SubscriptionStatus OK). Parsing the request, dispatching on its body element and
// writing the answer and any fault are SoapServer's.
//
// Run with PHP's built-in web server:  php -S 127.0.0.1:PORT listener.php

final class NotificationHandler
{
    /** MS-OXWSPSNTIF 3.1.4.1: keep the subscription. */
    public function SendNotification($request)
    {
        error_log('SendNotification: ' . json_encode($request));
        return ['SubscriptionStatus' => 'OK'];
    }
}

ini_set('soap.wsdl_cache_enabled', '0');
$server = new SoapServer(__DIR__ . '/../../../vectors/wsdl/notification-service.wsdl');
$server->setClass(NotificationHandler::class);
$server->handle();
