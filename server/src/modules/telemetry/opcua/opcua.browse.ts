import {
  AttributeIds,
  BrowseDirection,
  DataType,
  NodeClass,
  StatusCodes,
  type ClientSession,
  type DataValue,
  type ReferenceDescription,
} from 'node-opcua';
import type { BrowseOutput, NodeRole, TestOutput } from './opcua.dto.ts';
import { opcuaNodeUnknown } from './opcua.errors.ts';
import { counterOf, jsonValueOf, mapState, rawText } from './opcua.values.ts';

/** The Objects folder: where a server's machines and their variables live. */
export const OBJECTS_FOLDER = 'i=85';
const MAX_CHILDREN = 500;
const SHOWN_CLASSES = new Set([NodeClass.Object, NodeClass.Variable, NodeClass.Method]);

function browseDescription(nodeId: string) {
  return {
    nodeId,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    browseDirection: BrowseDirection.Forward,
    nodeClassMask: 0,
    resultMask: 0x3f,
  };
}

/** The children of one node (hierarchical references), with the current value of each variable. */
export async function browseChildren(session: ClientSession, nodeId: string): Promise<BrowseOutput> {
  const result = await session.browse(browseDescription(nodeId));
  if (result.statusCode.isNotGood()) {
    throw opcuaNodeUnknown(`The server cannot browse ${nodeId}: ${result.statusCode.name}`, {
      errors: [{ field: 'node_id', message: result.statusCode.name }],
    });
  }
  let references: ReferenceDescription[] = [...(result.references ?? [])];
  let continuation = result.continuationPoint;
  while (continuation && continuation.length > 0 && references.length <= MAX_CHILDREN) {
    const next = await session.browseNext(continuation, false);
    references.push(...(next.references ?? []));
    continuation = next.continuationPoint;
  }
  if (continuation && continuation.length > 0)
    await session.browseNext(continuation, true).catch(() => undefined);
  references = references.filter((reference) => SHOWN_CLASSES.has(reference.nodeClass));
  const truncated = references.length > MAX_CHILDREN;
  references = references.slice(0, MAX_CHILDREN);
  if (references.length === 0) return { node_id: nodeId, children: [], truncated };

  const ids = references.map((reference) => reference.nodeId.toString());
  const variables = references
    .map((reference, index) => ({ reference, index }))
    .filter(({ reference }) => reference.nodeClass === NodeClass.Variable);
  const [values, grandchildren] = await Promise.all([
    variables.length > 0
      ? session.read(variables.map(({ index }) => ({ nodeId: ids[index], attributeId: AttributeIds.Value })))
      : Promise.resolve([] as DataValue[]),
    session.browse(ids.map((id) => browseDescription(id))),
  ]);
  const valueByIndex = new Map(variables.map(({ index }, position) => [index, values[position]]));

  return {
    node_id: nodeId,
    truncated,
    children: references.map((reference, index) => {
      const value = valueByIndex.get(index);
      const good = value?.statusCode.isGoodish() ?? false;
      return {
        node_id: ids[index] ?? '',
        browse_name: reference.browseName.toString(),
        display_name: reference.displayName.text ?? reference.browseName.name ?? '',
        node_class: NodeClass[reference.nodeClass] ?? 'Unknown',
        data_type: value && good ? dataTypeName(value) : null,
        value: value && good ? jsonValueOf(value.value.value) : null,
        has_children: (grandchildren[index]?.references ?? []).some((child) =>
          SHOWN_CLASSES.has(child.nodeClass),
        ),
      };
    }),
  };
}

function dataTypeName(value: DataValue): string | null {
  const type = value.value.dataType;
  if (type === DataType.Null) return null;
  const name = DataType[type] ?? null;
  return name && value.value.arrayType ? `${name}[]` : name;
}

/** Reads the configured nodes once and says, per node, whether it serves its role. */
export async function readConfiguredNodes(
  session: ClientSession,
  nodes: { role: NodeRole; node_id: string }[],
  stateMap: Readonly<Record<string, string>>,
): Promise<TestOutput['nodes']> {
  if (nodes.length === 0) return [];
  const values = await session.read(
    nodes.map((node) => ({ nodeId: node.node_id, attributeId: AttributeIds.Value })),
  );
  return nodes.map((node, index) => {
    const value = values[index];
    const status = value?.statusCode ?? StatusCodes.BadUnexpectedError;
    const good = status.isGoodish();
    const raw = good && value ? value.value.value : null;
    let message: string | null = good ? null : `the server answers ${status.name} for this node`;
    let state: TestOutput['nodes'][number]['state'] = null;
    if (good && node.role === 'state') state = mapState(rawText(raw), stateMap);
    else if (good && counterOf(raw) === null)
      message = 'not a whole number ≥ 0: it cannot be used as a counter';
    return {
      role: node.role,
      node_id: node.node_id,
      ok: message === null,
      status: status.name,
      data_type: good && value ? dataTypeName(value) : null,
      value: jsonValueOf(raw),
      state,
      message,
    };
  });
}
