/* The map of areas: a Streamlit component written against its plain message protocol (no build step).
 *
 * The outlines come once per territory, as a file of the app's static folder named by its content;
 * every rerun then sends only what changed: each area's colour and texts (`spec.areas`). The map,
 * its outlines and the reader's zoom stay in place while the colours change.
 */
(function () {
  "use strict";

  var SHAPES_URL = "../../app/static/shapes/";
  var map = null;
  var spec = null;          // the last arguments received from Python
  var shapes = null;        // the outlines file: features, bounds, label points
  var shapesName = null;    // its name, which changes with its content
  var requested = null;     // the name of the outlines last asked for
  var areas = null;         // the Leaflet layer of outlines
  var tiles = null, providers = null, providersKey = null, names = null;
  var clicks = 0;

  function send(type, data) {
    var message = {isStreamlitMessage: true, type: type};
    for (var key in data) { message[key] = data[key]; }
    window.parent.postMessage(message, "*");
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // ------------------------------------------------------------------ what each area shows

  function field(feature, name) {
    var code = feature.properties.code;
    if (name === "nom") { return feature.properties.nom; }
    if (name === "type" && spec.types[code]) { return spec.types[code]; }
    var at = spec.area_fields.indexOf(name), own = spec.areas[code];
    if (at >= 0 && own) { return own[at]; }
    return spec.common[name] !== undefined ? spec.common[name] : "";
  }

  function tooltip(feature) {
    var rows = spec.fields.map(function (pair) {
      var label = pair[0], text = field(feature, pair[1]);
      if (text === "" || text === null) { return ""; }
      if (!label) {
        return '<tr><td colspan="2"' + (pair[1] === "nom" ? ' class="name"' : "") + ">" + escape(text) + "</td></tr>";
      }
      return "<tr><th>" + escape(label) + "</th><td>" + escape(text) + "</td></tr>";
    });
    return "<table>" + rows.join("") + "</table>";
  }

  function style(feature) {
    var code = feature.properties.code;
    var bold = code === spec.highlight;
    return {
      fillColor: spec.areas[code] ? spec.palette[spec.areas[code][0]] : spec.missing,
      color: bold ? "#000000" : "#333333",
      weight: bold ? 3 : spec.outline,
      opacity: 1,
      fillOpacity: 0.85
    };
  }

  // ------------------------------------------------------------------ the map and its chrome

  function createMap() {
    var frame = document.getElementById("map");
    map = L.map(frame, {zoomControl: true, attributionControl: true, zoomSnap: 0.25});  // fill the frame
    window.areaMap = map;  // for the browser tests, which turn a place into a point to click
    L.control.scale({metric: true, imperial: false}).addTo(map);
    map.on("resize", function (event) {  // not while the frame is hidden (no size: the world would be shown)
      if (shapes && event.newSize.x > 50 && event.newSize.y > 50) { map.fitBounds(shapes.bounds); }
    });
    // A mouse press would focus the shape, and the browser would scroll the page to show it: the
    // release then falls on another point and the click is lost. Focus the map without scrolling.
    frame.addEventListener("mousedown", function (event) {
      if (event.target.closest && event.target.closest("a, input, button")) { return; }
      event.preventDefault();
      if (document.activeElement !== frame) { frame.focus({preventScroll: true}); }
    }, true);
    keepTooltipsInside();
  }

  function keepTooltipsInside() {  // a tooltip near an edge is moved back inside the map
    var place = L.Tooltip.prototype._setPosition;
    L.Tooltip.prototype._setPosition = function (pos) {
      place.call(this, pos);
      var owner = this._map, box = this._container;
      if (!owner || !box) { return; }
      var size = owner.getSize(), at = owner.layerPointToContainerPoint(L.DomUtil.getPosition(box));
      // 12 pixels: Leaflet's 6-pixel margins beside the pointer, and a little air
      var x = Math.max(12, Math.min(at.x, size.x - box.offsetWidth - 12));
      var y = Math.max(12, Math.min(at.y, size.y - box.offsetHeight - 12));
      if (x !== at.x || y !== at.y) {
        L.DomUtil.setPosition(box, owner.containerPointToLayerPoint(L.point(x, y)));
      }
    };
  }

  function drawAreas() {
    if (areas) { map.removeLayer(areas); }
    // Thousands of areas draw on one canvas; a département's few stay SVG shapes.
    var renderer = shapes.features.length > 400 ? L.canvas({padding: 0.2}) : undefined;
    areas = L.geoJSON(shapes, {
      renderer: renderer,
      style: style,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(function () { return tooltip(feature); }, {sticky: true});
        layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
        layer.on("mouseout", function () { areas.resetStyle(layer); });
        if (spec.clickable) {
          layer.on("click", function () {
            clicks += 1;
            send("streamlit:setComponentValue", {value: {code: feature.properties.code, click: clicks}, dataType: "json"});
          });
        }
      }
    }).addTo(map);
    map.fitBounds(shapes.bounds);
    var count = shapes.features.length;
    // Counted once the browser has painted them (read by the tests and the benchmark).
    requestAnimationFrame(function () { requestAnimationFrame(function () { document.body.dataset.areasDrawn = count; }); });
  }

  function drawNames() {
    if (names) { map.removeLayer(names); names = null; }
    if (!spec.names || !shapes.labels) { return; }
    names = L.layerGroup();
    shapes.features.forEach(function (feature) {
      var at = shapes.labels[feature.properties.code];
      if (!at) { return; }
      L.marker(at, {interactive: false, keyboard: false, icon: L.divIcon({
        className: "area-name", iconSize: [120, 28], iconAnchor: [60, 14],
        html: "<div>" + escape(feature.properties.nom) + "</div>"
      })}).addTo(names);
    });
    names.addTo(map);
  }

  function drawProviders() {
    var key = JSON.stringify(spec.providers);
    if (key === providersKey) { return; }
    providersKey = key;
    if (providers) { map.removeLayer(providers); }
    providers = L.layerGroup();
    spec.providers.forEach(function (place) {
      var marker = L.circleMarker([place.lat, place.lon], {
        radius: 6, color: "#08306b", weight: 2, fill: true, fillColor: "#4292c6", fillOpacity: 0.9
      }).bindTooltip(escape(place.label));
      if (place.website) {
        marker.bindPopup('<a href="' + escape(place.website) + '" target="_blank" rel="noopener">'
                         + escape(place.label) + " : site de l'organisme</a>");
      }
      marker.addTo(providers);
    });
    providers.addTo(map);
  }

  function drawTiles() {
    if (spec.tiles && !tiles) {
      tiles = L.tileLayer(spec.tiles.url, {attribution: spec.tiles.attribution}).addTo(map);
      tiles.bringToBack();
    } else if (!spec.tiles && tiles) {
      map.removeLayer(tiles);
      tiles = null;
    }
  }

  // ------------------------------------------------------------------ each rerun

  function restyle() {
    if (!areas) { return; }
    areas.resetStyle();
    drawNames();
    drawProviders();
    drawTiles();
    if (providers) { providers.bringToFront(); }
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  function showShapes(data, name) {
    shapes = data;
    shapesName = name;
    drawAreas();
    restyle();
  }

  function render(args) {
    spec = args.spec;
    var frame = document.getElementById("map");
    if (frame.style.height !== args.height + "px") {
      frame.style.height = args.height + "px";
      send("streamlit:setFrameHeight", {height: args.height});
      if (map) { map.invalidateSize(); }
    }
    if (!map) { createMap(); }
    if (args.shapes_inline) {  // the static folder could not be written: the outlines came with the values
      requested = args.shapes_name;
      if (args.shapes_name !== shapesName) { showShapes(args.shapes_inline, args.shapes_name); } else { restyle(); }
    } else if (args.shapes_name !== requested) {
      var wanted = requested = args.shapes_name;
      fetch(SHAPES_URL + wanted).then(function (answer) { return answer.json(); }).then(function (data) {
        if (requested === wanted) { showShapes(data, wanted); }  // drawn with the latest values received
      });
    } else if (shapesName === requested) {
      restyle();
    }  // else: the outlines are on their way, and will be drawn with these values
  }

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") { render(event.data.args); }
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
