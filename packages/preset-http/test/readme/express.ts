import express from 'express';
import { Runometer } from '@runometer/core';
import { HttpPreset, expressHttpMetrics } from '@runometer/preset-http';
import { requestListener } from '@runometer/server-hono';

const meter = new Runometer('node').addTag('app', 'checkout').use(HttpPreset);
const app = express();
app.all('/metrics', requestListener(meter));
app.use(expressHttpMetrics()); // before the routes
const users = express.Router();
users.get('/:id', (request, response) => {
  response.json({ id: request.params.id });
});
app.use('/users', users); // route=/users/:id: the mount, then the route's path
app.listen(3000);
